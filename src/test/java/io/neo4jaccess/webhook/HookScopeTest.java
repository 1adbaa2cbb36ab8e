package io.neo4jaccess.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a hook's {@code projects} and {@code groups} cover, checked against projects as the broker
 * records them: {@code platform/api} (id 22) sits in group {@code platform} (id 72); {@code
 * platform/data/etl} (id 23) in its subgroup {@code platform/data} (id 73); {@code platformer/ui}
 * (id 24) in another group whose name starts alike.
 */
class HookScopeTest {

  static final ProjectRecords.Project API = new ProjectRecords.Project(22, "platform/api", 72);
  static final ProjectRecords.Project ETL = new ProjectRecords.Project(23, "platform/data/etl", 73);
  static final ProjectRecords.Project UI = new ProjectRecords.Project(24, "platformer/ui", 74);

  static HookScope scope(List<String> projects, List<String> groups) {
    return HookScope.of("broker.gitlab.instances.main.hooks.h", projects, groups);
  }

  static Stream<Arguments> coverage() {
    return Stream.of(
        Arguments.of("project_id", scope(List.of("22"), List.of()), List.of(API)),
        Arguments.of("project_path", scope(List.of("platform/api"), List.of()), List.of(API)),
        Arguments.of(
            "project_path_any_case", scope(List.of("Platform/API"), List.of()), List.of(API)),
        Arguments.of(
            "glob_within_one_segment", scope(List.of("platform/*"), List.of()), List.of(API)),
        Arguments.of("group_id_direct_members_only", scope(List.of(), List.of("72")), List.of(API)),
        Arguments.of(
            "group_path_with_subgroups", scope(List.of(), List.of("platform")), List.of(API, ETL)),
        Arguments.of("subgroup_path", scope(List.of(), List.of("platform/data/")), List.of(ETL)),
        Arguments.of(
            "projects_and_groups_add_up",
            scope(List.of("24"), List.of("platform/data")),
            List.of(ETL, UI)),
        Arguments.of("instance_wide", HookScope.instanceWide(), List.of(API, ETL, UI)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("coverage")
  void a_scope_covers_exactly_the_projects_it_names(
      String name, HookScope scope, List<ProjectRecords.Project> covered) {
    for (ProjectRecords.Project p : List.of(API, ETL, UI)) {
      assertThat(scope.covers(p.id(), p)).as(p.path()).isEqualTo(covered.contains(p));
    }
  }

  @Test
  void a_project_id_is_covered_without_a_record_and_a_path_never_is() {
    assertThat(scope(List.of("22"), List.of()).covers(22, null)).isTrue();
    assertThat(scope(List.of("platform/api"), List.of()).covers(22, null)).isFalse();
    assertThat(scope(List.of(), List.of("platform")).covers(22, null)).isFalse();
  }

  @Test
  void a_record_of_another_project_covers_nothing() {
    // The record read for id 23 can only be 23's; a mismatch is never taken as 22's path
    assertThat(scope(List.of("platform/api"), List.of()).covers(23, API)).isFalse();
  }

  @Test
  void a_project_recorded_without_a_group_is_not_in_any_group_id() {
    ProjectRecords.Project noGroup = new ProjectRecords.Project(25, "platform/old", 0);
    assertThat(scope(List.of(), List.of("72")).covers(25, noGroup)).isFalse();
  }

  @Test
  void only_a_scope_by_path_or_group_needs_the_projects_record() {
    HookScope scope = scope(List.of("22"), List.of("platform"));
    assertThat(scope.needsRecord(22)).isFalse();
    assertThat(scope.needsRecord(23)).isTrue();
    assertThat(HookScope.instanceWide().needsRecord(23)).isFalse();
  }

  static Stream<Arguments> refusedScopes() {
    return Stream.of(
        Arguments.of("names_nothing", List.of(), List.of()),
        Arguments.of("blank_project", List.of(" "), List.of()),
        Arguments.of("unanchored_glob", List.of("*/api"), List.of()),
        Arguments.of("double_star", List.of("platform/**"), List.of()),
        Arguments.of("empty_segment", List.of("platform//api"), List.of()),
        Arguments.of("space_in_path", List.of("platform/my api"), List.of()),
        Arguments.of("project_id_zero", List.of("0"), List.of()),
        Arguments.of("group_id_zero", List.of(), List.of("0")),
        Arguments.of("glob_in_group", List.of(), List.of("plat*")),
        Arguments.of("id_beyond_long", List.of("99999999999999999999"), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedScopes")
  void a_scope_that_is_not_ids_or_paths_refuses_to_start(
      String name, List<String> projects, List<String> groups) {
    assertThatThrownBy(() -> scope(projects, groups))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("broker.gitlab.instances.main.hooks.h");
  }
}
