package io.neo4jaccess.webhook;

import static io.neo4jaccess.webhook.HookConfigs.SIGNING_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.neo4jaccess.gitlab.GitLabConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Hooks as configured: what refuses to start, and which hook a delivery is taken to be from. */
class HookTest {

  @Test
  void the_instance_secrets_make_an_instance_wide_hook_beside_the_named_ones() {
    GitLabConfig config =
        HookConfigs.main(
            Optional.of("instance-secret"),
            false,
            Map.of("app", HookConfigs.tokenHook("platform/api")));

    List<Hook> hooks = Hook.all(config);

    assertThat(hooks).extracting(Hook::name).containsExactly(Hook.INSTANCE_WIDE, "app");
    assertThat(hooks.get(0).scope().isInstanceWide()).isTrue();
    assertThat(hooks.get(1).scope().isInstanceWide()).isFalse();
  }

  @Test
  void a_hook_without_a_secret_or_a_signing_secret_refuses_to_start() {
    GitLabConfig config =
        HookConfigs.withHooks(
            false,
            Map.of("app", HookConfigs.hook(Optional.empty(), Optional.empty(), "platform/api")));

    refusedAtStart(config)
        .hasMessage("broker.gitlab.instances.main.hooks.app needs a secret or a signing-secret");
  }

  @Test
  void a_hook_without_a_signing_secret_refuses_to_start_where_signatures_are_required() {
    GitLabConfig config =
        HookConfigs.withHooks(true, Map.of("app", HookConfigs.tokenHook("platform/api")));

    refusedAtStart(config)
        .hasMessageStartingWith("broker.gitlab.instances.main.hooks.app needs a signing-secret");
  }

  @Test
  void an_instance_wide_secret_token_alone_refuses_to_start_where_signatures_are_required() {
    GitLabConfig config = HookConfigs.main(Optional.of("instance-secret"), true, Map.of());

    refusedAtStart(config)
        .hasMessageStartingWith("broker.gitlab.instances.main needs a signing-secret");
  }

  @Test
  void a_malformed_signing_secret_refuses_to_start_without_showing_it() {
    GitLabConfig config =
        HookConfigs.withHooks(
            false,
            Map.of(
                "app",
                HookConfigs.hook(
                    Optional.empty(), Optional.of("whsec_not*base64"), "platform/api")));

    refusedAtStart(config)
        .hasMessageStartingWith("broker.gitlab.instances.main.hooks.app.signing-secret")
        .hasMessageNotContaining("not*base64");
  }

  @Test
  void two_hooks_sharing_a_secret_token_are_refused_as_ambiguous() {
    // Given two hooks of different scopes configured with one secret
    GitLabConfig config =
        HookConfigs.withHooks(
            false,
            Map.of(
                "api", HookConfigs.tokenHook("platform/api"),
                "ui", HookConfigs.tokenHook("platformer/ui")));

    // When a delivery carries that secret, then no hook is taken to have sent it
    assertThat(authenticator(config).authenticate(token("a-secret"), new byte[0])).isEmpty();
  }

  @Test
  void a_secret_token_names_the_one_hook_it_belongs_to() {
    GitLabConfig config =
        HookConfigs.withHooks(
            false,
            Map.of(
                "api",
                HookConfigs.tokenHook("platform/api"),
                "ui",
                HookConfigs.hook(
                    Optional.of("ui-secret"), Optional.of(SIGNING_SECRET), "platformer/ui")));

    var sender = authenticator(config).authenticate(token("ui-secret"), new byte[0]);

    assertThat(sender).isPresent();
    assertThat(sender.get().hook().name()).isEqualTo("ui");
    assertThat(sender.get().signed()).isFalse();
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> refusedAtStart(
      GitLabConfig config) {
    return assertThatThrownBy(() -> Hook.all(config)).isInstanceOf(IllegalStateException.class);
  }

  private static WebhookAuthenticator.Presented token(String token) {
    return new WebhookAuthenticator.Presented(null, token, null, null, null);
  }

  private static WebhookAuthenticator authenticator(GitLabConfig config) {
    WebhookConfig webhooks =
        new WebhookConfig() {
          @Override
          public int maxBodyBytes() {
            return 1024;
          }

          @Override
          public Duration signatureTolerance() {
            return Duration.ofMinutes(5);
          }

          @Override
          public Duration deliveryRetention() {
            return Duration.ofDays(7);
          }
        };
    return new WebhookAuthenticator(config, webhooks, Clock.systemUTC());
  }
}
