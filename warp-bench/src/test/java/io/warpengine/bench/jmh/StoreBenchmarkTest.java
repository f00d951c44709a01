package io.warpengine.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warpengine.bench.workload.Distribution;
import io.warpengine.bench.workload.KeySpace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreBenchmarkTest {

  private static final int KEYS = 200;

  @Test
  void alternatingIterationsGoBaselineStoreStoreBaselineSoThatEachFourHasTwoOfEach() {
    boolean[] firstEight = new boolean[8];
    for (int i = 0; i < firstEight.length; i++) {
      firstEight[i] = StoreBenchmark.measuresStore(i);
    }
    assertArrayEquals(new boolean[] {false, true, true, false, false, true, true, false},
        firstEight);
  }

  @Test
  void anAlternatingTrialFillsBothStoresAndTakesTurnsBetweenThemThenClosesBoth() {
    StoreBenchmark benchmark = benchmark(true);
    benchmark.fill();
    List<Store.Target> turns = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      benchmark.takeTurns();
      turns.add(benchmark.target());
    }
    Store.Target bare = turns.getFirst();
    Store.Target store = turns.get(1);
    assertNotSame(bare, store);
    for (int i = 0; i < turns.size(); i++) {
      assertSame(StoreBenchmark.measuresStore(i) ? store : bare, turns.get(i), "turn " + i);
    }
    KeySpace keySpace = new KeySpace(KEYS);
    for (int key = 0; key < KEYS; key++) {
      assertNotNull(bare.get(keySpace.name(key)), "bare engine, key " + key);
      assertNotNull(store.get(keySpace.name(key)), "store, key " + key);
    }
    benchmark.close();
    assertThrows(IllegalStateException.class, () -> bare.get(keySpace.name(0)));
    assertThrows(IllegalStateException.class, () -> store.get(keySpace.name(0)));
  }

  @Test
  void withoutAlternationEveryIterationMeasuresTheOneStore() {
    StoreBenchmark benchmark = benchmark(false);
    benchmark.fill();
    Store.Target only = benchmark.target();
    for (int i = 0; i < 8; i++) {
      benchmark.takeTurns();
      assertSame(only, benchmark.target(), "turn " + i);
    }
    benchmark.close();
  }

  /**
   * The engine as the store (and the bare engine beside it when alternating), so that closing
   * can be seen: a closed engine refuses gets.
   */
  private static StoreBenchmark benchmark(boolean alternate) {
    StoreBenchmark benchmark = new StoreBenchmark();
    benchmark.store = Store.ENGINE;
    benchmark.distribution = Distribution.UNIFORM;
    benchmark.keys = KEYS;
    benchmark.valueSize = 10;
    benchmark.alternate = alternate;
    benchmark.baseline = Store.ENGINE;
    return benchmark;
  }
}
