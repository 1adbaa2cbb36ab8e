package io.neo4jaccess.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages and the dependencies each may have, as README's "Architecture" section draws them.
 * Features depend downwards only: the command line and the HTTP layer on the features, the features
 * on the lease and the Neo4j servers, everything on the state store and the small shared pieces
 * below. A new arrow that runs back up fails the build here.
 */
class LayeringTest {

  private static final JavaClasses BROKER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.neo4jaccess");

  @Test
  void each_package_is_used_only_by_the_packages_above_it() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("cli")
        .definedBy("io.neo4jaccess.cli..")
        .layer("api")
        .definedBy("io.neo4jaccess.api..")
        .layer("exchange")
        .definedBy("io.neo4jaccess.exchange..")
        .layer("webhook")
        .definedBy("io.neo4jaccess.webhook..")
        .layer("sweep")
        .definedBy("io.neo4jaccess.sweep..")
        .layer("gateway")
        .definedBy("io.neo4jaccess.gateway..")
        .layer("lease")
        .definedBy("io.neo4jaccess.lease..")
        .layer("neo4j")
        .definedBy("io.neo4jaccess.neo4j..")
        .layer("policy")
        .definedBy("io.neo4jaccess.policy..")
        .layer("token")
        .definedBy("io.neo4jaccess.token..")
        .layer("gitlab")
        .definedBy("io.neo4jaccess.gitlab..")
        .layer("state")
        .definedBy("io.neo4jaccess.state..")
        .layer("support")
        .definedBy("io.neo4jaccess.support..")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("api")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("exchange")
        .mayOnlyBeAccessedByLayers("api")
        .whereLayer("webhook")
        .mayOnlyBeAccessedByLayers("api")
        .whereLayer("sweep")
        .mayNotBeAccessedByAnyLayer()
        // The exchange hands jobs of a gateway target the gateway's address.
        .whereLayer("gateway")
        .mayOnlyBeAccessedByLayers("exchange")
        .whereLayer("lease")
        .mayOnlyBeAccessedByLayers("api", "exchange", "webhook", "sweep", "gateway")
        .whereLayer("neo4j")
        .mayOnlyBeAccessedByLayers("cli", "exchange", "sweep", "lease", "gateway")
        .whereLayer("policy")
        .mayOnlyBeAccessedByLayers("cli", "api", "exchange", "neo4j", "lease", "gateway")
        .whereLayer("token")
        .mayOnlyBeAccessedByLayers("api", "exchange", "policy")
        .whereLayer("gitlab")
        .mayOnlyBeAccessedByLayers(
            "api", "exchange", "webhook", "sweep", "gateway", "lease", "policy", "token")
        // neo4j reads the state store's server identity at start, to refuse a target on it.
        .whereLayer("state")
        .mayOnlyBeAccessedByLayers("api", "exchange", "webhook", "sweep", "lease", "neo4j")
        .check(BROKER);
  }

  @Test
  void token_policy_and_gitlab_know_nothing_of_neo4j() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.neo4jaccess.token..", "io.neo4jaccess.policy..", "io.neo4jaccess.gitlab..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.neo4j.driver..")
        .check(BROKER);
  }

  @Test
  void only_the_gitlab_package_uses_gitlab4j() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.neo4jaccess.gitlab..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.gitlab4j..")
        .check(BROKER);
  }

  @Test
  void packages_have_no_cycles() {
    slices().matching("io.neo4jaccess.(*)..").should().beFreeOfCycles().check(BROKER);
  }
}
