package io.fedit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 §5: a secret never reaches config.yaml (written from the bound configuration) or a manifest: URL
 * user-info in any setting and a key pasted into a *_env setting are refused at load, and the message that
 * names the setting does not repeat the secret.
 */
class SecretSettingsTest {
  static final String SECRET = "s3cr3tPassw0rd";

  static ConfigException refused(String... overrides) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of(overrides)));
    assertFalse(e.getMessage().contains(SECRET), "the secret is not repeated: " + e.getMessage());
    return e;
  }

  @Test
  void credentialsInAnyUrlValuedSettingAreRefusedAndRedacted() {
    for (String setting : new String[] {"judge.base_url=https://alice:" + SECRET + "@judge.example.com/v1",
        "data.path=hdfs://alice:" + SECRET + "@namenode:8020/data/train.jsonl",
        "model.path=s3a://AKID:" + SECRET + "@bucket/models/llama", "output.dir=webhdfs://" + SECRET + "@nn/runs"}) {
      ConfigException e = refused(setting, "judge.model=j");
      String key = setting.substring(0, setting.indexOf('='));
      assertTrue(e.getMessage().startsWith(key + " holds credentials"), e.getMessage());
      assertTrue(e.getMessage().contains("***@"), "the URL is shown redacted: " + e.getMessage());
    }
    ConfigException e = refused("judge.base_url=https://alice:" + SECRET + "@judge.example.com/v1", "judge.model=j");
    assertTrue(e.getMessage().contains("https://alice:***@judge.example.com/v1"), e.getMessage());
  }

  @Test
  void theSameRefusalHoldsForValuesSetInCodeAndForASavedConfiguration() {
    RunConfig defaults = ConfigLoader.defaults();
    assertThrows(ConfigException.class, () -> ConfigLoader.withStrings(defaults,
        Map.of("data.path", "https://u:" + SECRET + "@host/data.jsonl")));
    String yaml = ConfigLoader.toYaml(defaults).replace("api_key_env: FEDIT_JUDGE_API_KEY",
        "api_key_env: sk-proj-" + SECRET + "abcdefghijklmnop");
    assertThrows(ConfigException.class, () -> ConfigLoader.fromYaml(yaml));
  }

  @Test
  void aKeyInAnEnvSettingIsRefusedWithTheFix() {
    for (String key : new String[] {"sk-proj-" + SECRET + "Xy12", "sk_live_" + SECRET + "abcdef",
        "ghp_" + SECRET + "abcdefghijklmnopqrstu", "AKIAIOSFODNN7EXAMPLE", "0123456789abcdef" + SECRET + "0123456789",
        "dGhpcyBpcyBhIGtleQ" + SECRET + "+/==", "hf_" + SECRET + "abcdefghijklmnopqrst"}) {
      ConfigException e = refused("judge.api_key_env=" + key);
      assertTrue(e.getMessage().startsWith("judge.api_key_env must hold the NAME of an environment variable"),
          e.getMessage());
      assertFalse(e.getMessage().contains(key), "the value is not shown: " + e.getMessage());
    }
  }

  @Test
  void namesAndUrlsWithoutUserInfoStillLoad() {
    for (String name : new String[] {"OPENAI_API_KEY", "FEDIT_JUDGE_API_KEY", "my_judge_key", "HF_TOKEN"}) {
      assertEquals(name, ConfigLoader.load(null, List.of("judge.api_key_env=" + name)).judge().apiKeyEnv());
    }
    RunConfig c = ConfigLoader.load(null, List.of("judge.base_url=http://127.0.0.1:8000/v1", "judge.model=j",
        "data.path=hdfs://namenode:8020/data/train@2024.jsonl"));
    assertEquals("http://127.0.0.1:8000/v1", c.judge().baseUrl());
    assertEquals("hdfs://namenode:8020/data/train@2024.jsonl", c.data().path());
  }

  @Test
  void redactionMasksOnlyTheUserInfo() {
    assertEquals("open https://alice:***@h/v1 and s3a://***@b/k then hdfs://nn:8020/a@b",
        UrlCredentials.redact("open https://alice:pw@h/v1 and s3a://TOKEN@b/k then hdfs://nn:8020/a@b"));
    assertFalse(UrlCredentials.present("hdfs://nn:8020/a@b"));
  }
}
