package io.fedit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The judge section: off by default, validated with the key's name, and absent from older saved configurations. */
class JudgeConfigTest {
  @Test
  void offByDefaultAndValidated() {
    JudgeSection d = ConfigLoader.defaults().judge();
    assertFalse(d.configured());
    assertEquals("FEDIT_JUDGE_API_KEY", d.apiKeyEnv());

    JudgeSection j = ConfigLoader.load(null, List.of("judge.base_url=http://localhost:8000/v1/", "judge.model=m")).judge();
    assertTrue(j.configured());
    assertEquals("http://localhost:8000/v1", j.baseUrl(), "a trailing slash is dropped");

    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("judge.base_url=http://x/v1")))
        .getMessage().contains("judge.model must be set"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
        List.of("judge.base_url=localhost:8000", "judge.model=m"))).getMessage().contains("judge.base_url must start with http"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("judge.concurrency=0")))
        .getMessage().contains("judge.concurrency must be > 0"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("judge.max_backoff_ms=10")))
        .getMessage().contains("judge.max_backoff_ms"));
  }

  @Test
  void aConfigurationSavedBeforeTheJudgeSectionExistedStillReads() {
    RunConfig c = ConfigLoader.defaults();
    String yaml = ConfigLoader.toYaml(c);
    String withoutJudge = yaml.substring(0, yaml.indexOf("judge:"));
    RunConfig back = ConfigLoader.fromYaml(withoutJudge);
    assertEquals(c, back);
    assertNull(back.judge().baseUrl());
  }
}
