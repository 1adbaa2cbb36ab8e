// Validate a job annotations file against GitLab's rules for job annotations (artifacts:reports:annotations,
// GitLab 16.3+): one JSON object mapping section name -> array of items, each exactly {"external_link": {"label": string, "url": string}}; at most
// 80 KB, 20 sections, 1000 items per section, section names up to 255 characters.
const fs = require("fs");
const file = process.argv[2];
const errors = [];
if (!fs.existsSync(file)) {
  console.error(`${file}: missing`);
  process.exit(1);
}
const text = fs.readFileSync(file);
if (text.length > 80 * 1024) errors.push(`file is ${text.length} bytes, over 80 KB`);
const doc = JSON.parse(text);
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const exactKeys = (v, keys) => isObject(v) && Object.keys(v).sort().join() === [...keys].sort().join();
if (!isObject(doc)) errors.push("top level is not an object");
else {
  const sections = Object.entries(doc);
  if (sections.length === 0 || sections.length > 20) errors.push(`${sections.length} sections (1..20)`);
  for (const [name, items] of sections) {
    if (name.length === 0 || name.length > 255) errors.push(`section name length ${name.length}`);
    if (!Array.isArray(items) || items.length === 0 || items.length > 1000) {
      errors.push(`section ${name}: not an array of 1..1000 items`);
      continue;
    }
    items.forEach((item, i) => {
      const link = item && item.external_link;
      if (!exactKeys(item, ["external_link"]) || !exactKeys(link, ["label", "url"]) ||
          typeof link.label !== "string" || typeof link.url !== "string" || !/^https?:\/\//.test(link.url)) {
        errors.push(`section ${name} item ${i}: not {"external_link": {"label", "url"}}: ${JSON.stringify(item)}`);
      }
    });
  }
}
if (errors.length) {
  console.error(`${file}: invalid job annotations:\n  ${errors.join("\n  ")}`);
  process.exit(1);
}
console.error(`${file}: valid job annotations`);
