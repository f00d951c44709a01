package io.warpengine.physics.quantum.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSetTest {

  private final RuleSet rules = RuleSet.parse(
      "user:{id}, profile:{id}, settings:{id}, sessions:{id}; cart-{id}-v1, order:{id}");

  @Test
  void aKeyMatchingOneTemplateGetsTheRestOfItsGroup() {
    assertEquals(List.of("profile:42", "settings:42", "sessions:42"), rules.partnersOf("user:42"));
    assertEquals(List.of("user:7", "settings:7", "sessions:7"), rules.partnersOf("profile:7"));
    assertEquals(List.of("order:abc"), rules.partnersOf("cart-abc-v1"));
    assertEquals(List.of("cart-9-v1"), rules.partnersOf("order:9"));
  }

  @Test
  void theIdIsOneOrMoreCharactersWithoutAColon() {
    assertEquals(List.of(), rules.partnersOf("user:42:name"));
    assertEquals(List.of(), rules.partnersOf("user:"));
    assertEquals(List.of(), rules.partnersOf("customer:42"));
  }

  @Test
  void theOriginalPresetHasSixGroups() {
    RuleSet preset = RuleSet.parse(RuleSet.PRESETS.get("original"));
    assertEquals(6, preset.groupCount());
    assertTrue(preset.partnersOf("article:5").contains("article_comments:5"));
  }

  @Test
  void badTemplatesAreNamed() {
    var noPlaceholder = assertThrows(IllegalArgumentException.class, () -> RuleSet.parse("user:, profile:{id}"));
    assertTrue(noPlaceholder.getMessage().contains("'user:'"), noPlaceholder.getMessage());
    var twice = assertThrows(IllegalArgumentException.class, () -> RuleSet.parse("a{id}{id}, b{id}"));
    assertTrue(twice.getMessage().contains("exactly once"), twice.getMessage());
    var alone = assertThrows(IllegalArgumentException.class, () -> RuleSet.parse("a{id}"));
    assertTrue(alone.getMessage().contains("at least two"), alone.getMessage());
    assertEquals(0, RuleSet.parse(" ; ").groupCount());
  }
}
