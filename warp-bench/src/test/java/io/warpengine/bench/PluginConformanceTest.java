package io.warpengine.bench;

import io.warpengine.testkit.PluginConformance;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test kit's conformance suite (lifecycle, concurrent hooks, hot-path allocation) run on
 * every built-in physics plugin. A new plugin module adds its line here (and its test
 * dependency in this module's pom); the example plugin runs the same suite in its own tests.
 */
class PluginConformanceTest {

  /** One line per plugin: its name, and the settings, model and budget it is checked with. */
  static Stream<PluginConformance> plugins() {
    return Stream.of(
        PluginConformance.discovered("cache"),
        PluginConformance.discovered("quantum"),
        PluginConformance.discovered("entropy"),
        // Over the default budget: with a router plugin the engine takes the key's stripe lock on
        // every write (keys can move), and a contended lock allocates a queue node; measured
        // +3.1 and +15.0 B/op in two runs of this mix.
        PluginConformance.discovered("gravity").allocationBudget(32));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plugins")
  void conforms(PluginConformance suite) throws Exception {
    System.out.println("conformance " + suite.checkAll());
  }
}
