package io.warpengine.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writtenTextParsesBackToTheSameValues() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("p99.9", 12.25);
    inner.put("ops", 123_456_789_012L);
    inner.put("none", null);
    inner.put("empty", List.of());
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("name", "a \"quoted\" </script> & \\ line\nbreak \u0001");
    root.put("flags", List.of(true, false));
    root.put("nested", inner);
    root.put("list", List.of(1L, -2.5e-7, "x", Map.of()));

    String text = Json.write(root);
    Object parsed = Json.parse(text);

    assertEquals(root, parsed);
    assertEquals(text, Json.write(parsed));
    assertTrue(!text.contains("</script>") && !text.contains("&"), text);
  }

  @Test
  void badTextIsRejectedWithItsOffset() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Json.parse("{\"a\": [1, 2,, 3]}"));
    assertEquals("bad JSON at offset 12: expected a value", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} x"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
  }
}
