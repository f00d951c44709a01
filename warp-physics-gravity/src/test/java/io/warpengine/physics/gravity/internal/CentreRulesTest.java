package io.warpengine.physics.gravity.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CentreRulesTest {

  @Test
  void aHashTagIsTheCentreAsInRedisCluster() {
    CentreRules r = CentreRules.parse("");
    assertEquals("42", r.centreOf("user:{42}:name"));
    assertEquals("42", r.centreOf("{42}"));
    assertEquals("a", r.centreOf("x{a}{b}"));
    assertEquals("{}x", r.centreOf("{}x"), "an empty tag means the whole key");
    assertEquals("x{a", r.centreOf("x{a"), "an unclosed tag means the whole key");
    assertEquals("plain", r.centreOf("plain"));
  }

  @Test
  void rulesGiveTheIdWhenThereIsNoTag() {
    CentreRules r = CentreRules.parse("order:{id}:*; *:{id}");
    assertEquals("42", r.centreOf("user:42"));
    assertEquals("42", r.centreOf("profile:42"));
    assertEquals("42", r.centreOf("a:b:42"), "the id is after the ':' where the rest fits");
    assertEquals("7", r.centreOf("order:7:items"), "the first rule that fits wins");
    assertEquals("items", CentreRules.parse("*:{id}; order:{id}:*").centreOf("order:7:items"));
    assertEquals("t", r.centreOf("user:{t}"), "a tag comes first");
    assertEquals("nocolon", r.centreOf("nocolon"));
    assertEquals("user:", r.centreOf("user:"), "an id is never empty");
  }

  @Test
  void exactSuffixAndHasCentre() {
    CentreRules r = CentreRules.parse("cart:{id}.json");
    assertEquals("9", r.centreOf("cart:9.json"));
    assertEquals("cart:9.jso", r.centreOf("cart:9.jso"));
    assertTrue(r.hasCentre("cart:9.json", "9"));
    assertFalse(r.hasCentre("cart:91.json", "9"));
  }

  @Test
  void theHashIsTheCentresStringHashFromAnyKey() {
    assertEquals("42".hashCode(), CentreRules.hash("user:{42}:x", 6, 8));
    assertEquals("user:42".hashCode(), CentreRules.hash("user:42", 0, 7));
  }

  @Test
  void badRulesAreRejectedWithTheirText() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CentreRules.parse("user:"))
        .getMessage().contains("'user:'"));
    assertThrows(IllegalArgumentException.class, () -> CentreRules.parse("{id}:{id}"));
    assertThrows(IllegalArgumentException.class, () -> CentreRules.parse("a*b:{id}"));
    assertThrows(IllegalArgumentException.class, () -> CentreRules.parse("a:{id}x*"));
  }
}
