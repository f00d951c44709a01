package io.warpengine.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import io.warpengine.physics.cache.EventHorizon;
import io.warpengine.physics.entropy.EntropyMonitor;
import io.warpengine.physics.gravity.Gravity;
import io.warpengine.physics.quantum.Entanglement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every subset of the physics modules, in memory and durable: the engine opens, works, loads
 * exactly the chosen plugins, and reports the others as absent. (The modules are all on this
 * module's path; a subset is chosen by disabling the rest, as a user would who cannot change
 * the path.)
 */
class PluginSubsetsTest {

  private static final Map<String, Class<?>> FACES = Map.of(
      "cache", EventHorizon.class, "entropy", EntropyMonitor.class, "gravity", Gravity.class,
      "quantum", Entanglement.class);
  private static final List<String> ALL = List.of("cache", "entropy", "gravity", "quantum");

  static Stream<Arguments> subsets() {
    List<Arguments> out = new ArrayList<>();
    for (int mask = 0; mask < 1 << ALL.size(); mask++) {
      List<String> chosen = new ArrayList<>();
      for (int i = 0; i < ALL.size(); i++) {
        if ((mask & 1 << i) != 0) {
          chosen.add(ALL.get(i));
        }
      }
      out.add(Arguments.of(chosen, false));
      out.add(Arguments.of(chosen, true));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, durable={1}")
  @MethodSource("subsets")
  void anySubsetOpensWorksAndReportsTheRestAbsent(List<String> chosen, boolean durable,
      @TempDir Path dir) {
    WarpOptions.Builder options = WarpOptions.builder().shards(4);
    ALL.stream().filter(p -> !chosen.contains(p)).forEach(options::disablePlugin);
    if (durable) {
      options.dataDirectory(dir);
    }
    try (WarpEngine engine = Warp.open(options.build())) {
      assertEquals(chosen, engine.pluginNames());
      assertEquals(durable, engine.isDurable());
      FACES.forEach((name, face) -> assertEquals(chosen.contains(name),
          engine.plugin(face).isPresent(), name));
      engine.put("k", new byte[] {4, 2});
      assertArrayEquals(new byte[] {4, 2}, engine.get("k"));
      assertTrue(engine.delete("k"));
      assertEquals(chosen, List.copyOf(engine.metrics().pluginMetrics().keySet().stream()
          .filter(ALL::contains).toList()));
    }
  }
}
