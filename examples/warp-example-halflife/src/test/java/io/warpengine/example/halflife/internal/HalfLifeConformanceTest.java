package io.warpengine.example.halflife.internal;

import io.warpengine.testkit.PluginConformance;
import org.junit.jupiter.api.Test;

/** The test kit's conformance suite: lifecycle, concurrent hooks, hot-path allocation. */
class HalfLifeConformanceTest {

  @Test
  void halfLifeConforms() throws Exception {
    PluginConformance.Report report = PluginConformance.of(new HalfLifeProvider())
        .property("half-life.ttl", "PT1H") // nothing expires during the checks
        .checkAll();
    System.out.println("conformance " + report);
  }
}
