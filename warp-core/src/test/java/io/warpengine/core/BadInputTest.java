package io.warpengine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.api.MetricsSnapshot;
import io.warpengine.api.SyncPolicy;
import io.warpengine.Warp;
import io.warpengine.api.WarpEngine;
import io.warpengine.WarpOptions;
import io.warpengine.spi.EngineConfig;
import io.warpengine.spi.PhysicsPluginProvider;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every limit is enforced with an {@link IllegalArgumentException} whose message names what was
 * wrong, and the engine — its data and its counters — is exactly as before the rejected call.
 */
class BadInputTest {

  private static final int MAX_VALUE = 1_024;
  private static final String LONGEST_KEY = "k".repeat(WarpOptions.MAX_KEY_BYTES);
  private static final String TOO_LONG_ASCII = "k".repeat(WarpOptions.MAX_KEY_BYTES + 1);
  /** 21,846 chars of 3 UTF-8 bytes each: 65,538 bytes, though only a third as many chars. */
  private static final String TOO_LONG_UTF8 = "€".repeat(WarpOptions.MAX_KEY_BYTES / 3 + 1);

  private final WarpEngine engine =
      Warp.open(WarpOptions.builder().shards(8).maxValueBytes(MAX_VALUE).build());

  @AfterEach
  void close() {
    engine.close();
  }

  interface Call {
    void run(WarpEngine engine);
  }

  static Stream<Arguments> rejectedCalls() {
    byte[] ok = {1};
    byte[] big = new byte[MAX_VALUE + 1];
    Map<String, byte[]> withNullValue = new HashMap<>();
    withNullValue.put("fresh-1", ok);
    withNullValue.put("fresh-2", null);
    Map<String, byte[]> withNullKey = new HashMap<>();
    withNullKey.put("fresh-1", ok);
    withNullKey.put(null, ok);
    Map<String, byte[]> goodThenBig = new LinkedHashMap<>();
    goodThenBig.put("fresh-1", ok);
    goodThenBig.put("fresh-2", big);
    return Stream.of(
        Arguments.of("put null key", "key must not be null", (Call) e -> e.put(null, ok)),
        Arguments.of("put empty key", "key must not be empty", (Call) e -> e.put("", ok)),
        Arguments.of("put long ASCII key", "over the limit of 65535", (Call) e -> e.put(TOO_LONG_ASCII, ok)),
        Arguments.of("put long UTF-8 key", "65538 bytes of UTF-8", (Call) e -> e.put(TOO_LONG_UTF8, ok)),
        Arguments.of("put null value", "must not be null", (Call) e -> e.put("existing", null)),
        Arguments.of("put lone high surrogate", "unpaired surrogate at index 3",
            (Call) e -> e.put("abc\uD800", ok)),
        Arguments.of("putAll lone low surrogate", "unpaired surrogate at index 0",
            (Call) e -> e.putAll(Map.of("fresh-1", ok, "\uDC00x", ok))),
        Arguments.of("putIfAbsent reversed pair", "unpaired surrogate at index 0",
            (Call) e -> e.putIfAbsent("\uDE00\uD83D", ok)),
        Arguments.of("put big value", "1025 bytes, over the limit of 1024", (Call) e -> e.put("existing", big)),
        Arguments.of("get null key", "key must not be null", (Call) e -> e.get(null)),
        // A read checks the key it misses (every stored key passed the check when written).
        Arguments.of("get empty key", "key must not be empty", (Call) e -> e.get("")),
        Arguments.of("get long UTF-8 key", "65538 bytes of UTF-8", (Call) e -> e.get(TOO_LONG_UTF8)),
        Arguments.of("getReadOnly null key", "key must not be null", (Call) e -> e.getReadOnly(null)),
        Arguments.of("getReadOnly long ASCII key", "over the limit of 65535",
            (Call) e -> e.getReadOnly(TOO_LONG_ASCII)),
        Arguments.of("delete empty key", "key must not be empty", (Call) e -> e.delete("")),
        Arguments.of("contains long key", "over the limit", (Call) e -> e.contains(TOO_LONG_ASCII)),
        Arguments.of("contains empty key", "key must not be empty", (Call) e -> e.contains("")),
        Arguments.of("contains null key", "key must not be null", (Call) e -> e.contains(null)),
        Arguments.of("putIfAbsent big", "over the limit of 1024", (Call) e -> e.putIfAbsent("fresh-1", big)),
        Arguments.of("replace null expected", "expected value for key 'existing' must not be null",
            (Call) e -> e.replace("existing", null, ok)),
        Arguments.of("replace big new value", "new value for key 'existing' is 1025 bytes",
            (Call) e -> e.replace("existing", new byte[] {7}, big)),
        Arguments.of("getAll null", "keys must not be null", (Call) e -> e.getAll(null)),
        Arguments.of("getAll with a null key", "key must not be null",
            (Call) e -> e.getAll(Arrays.asList("existing", null))),
        Arguments.of("putAll null", "entries must not be null", (Call) e -> e.putAll(null)),
        Arguments.of("putAll with a null value", "value for key 'fresh-2' must not be null",
            (Call) e -> e.putAll(withNullValue)),
        Arguments.of("putAll with a null key", "key must not be null", (Call) e -> e.putAll(withNullKey)),
        Arguments.of("putAll with one big value", "value for key 'fresh-2' is 1025 bytes",
            (Call) e -> e.putAll(goodThenBig)),
        Arguments.of("scan null prefix", "prefix must not be null", (Call) e -> e.scan(null, 10)),
        Arguments.of("scan zero limit", "limit must be at least 1", (Call) e -> e.scan("", 0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedCalls")
  void rejectedCallNamesTheProblemAndChangesNothing(String name, String message, Call call) {
    engine.put("existing", new byte[] {7});
    SortedMap<String, byte[]> before = engine.scan("", Integer.MAX_VALUE);
    MetricsSnapshot countersBefore = engine.metrics();

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call.run(engine));
    assertTrue(e.getMessage().contains(message), () -> "message was: " + e.getMessage());

    assertEquals(countersBefore, engine.metrics());
    SortedMap<String, byte[]> after = engine.scan("", Integer.MAX_VALUE);
    assertEquals(before.keySet(), after.keySet());
    before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
  }

  @Test
  void limitsThemselvesAreAccepted() {
    engine.put(LONGEST_KEY, new byte[MAX_VALUE]);
    assertEquals(MAX_VALUE, engine.get(LONGEST_KEY).length);
    String longestUtf8 = "€".repeat(WarpOptions.MAX_KEY_BYTES / 3);
    engine.put(longestUtf8, new byte[0]);
    assertTrue(engine.contains(longestUtf8));
  }

  @Test
  void wellFormedSurrogatePairsAreAcceptedAndMalformedKeysSimplyMissOnReads() {
    engine.put("emoji-\uD83D\uDE00", new byte[] {1});
    assertTrue(engine.contains("emoji-😀"));
    assertEquals(null, engine.get("lone-\uD800"));
    assertEquals(false, engine.delete("lone-\uD800"));
  }

  @Test
  void longKeysInErrorMessagesAreShortened() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> engine.put(TOO_LONG_ASCII, new byte[0]));
    assertTrue(e.getMessage().length() < 300, e.getMessage());
  }

  @Test
  void optionsRejectBadSettingsByName() {
    var builder = WarpOptions.builder();
    for (int bad : List.of(0, 3, -4, WarpOptions.MAX_SHARDS * 2)) {
      var e = assertThrows(IllegalArgumentException.class, () -> builder.shards(bad));
      assertTrue(e.getMessage().startsWith("shards must be a power of two"), e.getMessage());
    }
    for (int bad : List.of(0, -1, WarpOptions.MAX_VALUE_BYTES_LIMIT + 1)) {
      var e = assertThrows(IllegalArgumentException.class, () -> builder.maxValueBytes(bad));
      assertTrue(e.getMessage().startsWith("maxValueBytes must be"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> builder.disablePlugin(" "));
    assertThrows(IllegalArgumentException.class, () -> builder.property(null, "x"));
  }

  /**
   * The engine checks the settings it is opened with, also when they come from another
   * {@link EngineConfig} than {@link WarpOptions} (which checks them when they are set).
   */
  @Test
  void settingsFromAnyEngineConfigAreCheckedBeforeAnythingOpens() {
    for (int shards : new int[] {0, -4, 3, WarpOptions.MAX_SHARDS * 2}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new CoreEngineProvider().open(config(shards, MAX_VALUE)));
      assertEquals("shards must be a power of two from 1 to " + WarpOptions.MAX_SHARDS + ", was "
          + shards, e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CoreEngineProvider().open(config(4, 0)));
    assertEquals("maxValueBytes must be at least 1, was 0", e.getMessage());
    try (WarpEngine fine = new CoreEngineProvider().open(config(4, MAX_VALUE))) {
      fine.put("k", new byte[] {1});
      assertEquals(4, fine.metrics().shardMetrics().size());
    }
  }

  private static EngineConfig config(int shards, int maxValueBytes) {
    WarpOptions defaults = WarpOptions.defaults();
    return new EngineConfig() {
      @Override public int shards() {
        return shards;
      }

      @Override public int maxValueBytes() {
        return maxValueBytes;
      }

      @Override public Optional<Path> dataDirectory() {
        return Optional.empty();
      }

      @Override public SyncPolicy syncPolicy() {
        return defaults.syncPolicy();
      }

      @Override public boolean discoverPlugins() {
        return false;
      }

      @Override public Set<String> disabledPlugins() {
        return Set.of();
      }

      @Override public List<PhysicsPluginProvider> extraPlugins() {
        return List.of();
      }

      @Override public Map<String, String> properties() {
        return Map.of();
      }
    };
  }
}
