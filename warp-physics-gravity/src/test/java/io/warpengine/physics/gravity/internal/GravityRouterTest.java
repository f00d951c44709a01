package io.warpengine.physics.gravity.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The router's one-pass tag route agrees with the rules' centre, with and without wormholes. */
class GravityRouterTest {

  private static final List<String> KEYS = List.of("user:{42}:name", "{42}", "42", "x{a}{b}",
      "{}x", "x{a", "{", "}", "user:42", "order:7:items", "a:b:42", "{ü}", "plain", "x{}{y}");

  @Test
  void aKeyGoesWhereItsCentreGoes() {
    CentreRules rules = CentreRules.parse("order:{id}:*; *:{id}");
    GravityRouter router = new GravityRouter(rules, 16);
    for (int round = 0; round < 2; round++) {
      for (String key : KEYS) {
        String centre = rules.centreOf(key);
        assertEquals(router.routeCentre(centre), router.route(key), key);
        assertEquals(router.home(centre.hashCode()) == router.route(key),
            !(round == 1 && Map.of("42", 0, "a", 0, "7", 0).containsKey(centre)), key);
      }
      router.publish(WormholeTable.of(Map.of("42", (router.homeOf("42") + 1) % 16,
          "a", (router.homeOf("a") + 1) % 16, "7", (router.homeOf("7") + 1) % 16)));
    }
  }
}
