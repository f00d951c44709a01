package io.warpengine;

import io.warpengine.api.SyncPolicy;
import io.warpengine.api.WarpEngine;
import io.warpengine.spi.EngineConfig;
import io.warpengine.spi.PhysicsPluginProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to open an engine. Immutable; built with {@link #builder()}. Every setter checks its
 * argument at once and names the option it rejects.
 *
 * <p>Limits: a key is 1 to {@value #MAX_KEY_BYTES} bytes of UTF-8; a value is 0 to
 * {@link #maxValueBytes()} bytes (default {@value #DEFAULT_MAX_VALUE_BYTES}, at most
 * {@value #MAX_VALUE_BYTES_LIMIT}).
 */
public final class WarpOptions implements EngineConfig {

  /** The longest key, in UTF-8 bytes (the same as {@link WarpEngine#MAX_KEY_BYTES}). */
  public static final int MAX_KEY_BYTES = WarpEngine.MAX_KEY_BYTES;
  /** The default value size limit: 16 MiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 16 << 20;
  /** The largest value size limit that can be configured: 1 GiB. */
  public static final int MAX_VALUE_BYTES_LIMIT = 1 << 30;
  /** The largest shard count. */
  public static final int MAX_SHARDS = 1 << 16;

  private final int shards;
  private final int maxValueBytes;
  private final Path dataDirectory;
  private final SyncPolicy syncPolicy;
  private final boolean discoverPlugins;
  private final Set<String> disabledPlugins;
  private final List<PhysicsPluginProvider> extraPlugins;
  private final Map<String, String> properties;

  private WarpOptions(Builder b) {
    this.shards = b.shards;
    this.maxValueBytes = b.maxValueBytes;
    this.dataDirectory = b.dataDirectory;
    this.syncPolicy = b.syncPolicy;
    this.discoverPlugins = b.discoverPlugins;
    this.disabledPlugins = Set.copyOf(b.disabledPlugins);
    this.extraPlugins = List.copyOf(b.extraPlugins);
    this.properties = Map.copyOf(b.properties);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options with every default: in memory, {@link #defaultShardCount()} shards. */
  public static WarpOptions defaults() {
    return builder().build();
  }

  /** Four shards per available processor, rounded up to a power of two, at least 4. */
  public static int defaultShardCount() {
    int wanted = Math.max(4, Runtime.getRuntime().availableProcessors() * 4);
    return Math.min(MAX_SHARDS, Integer.highestOneBit(wanted - 1) << 1);
  }

  @Override
  public int shards() {
    return shards;
  }

  @Override
  public int maxValueBytes() {
    return maxValueBytes;
  }

  @Override
  public Optional<Path> dataDirectory() {
    return Optional.ofNullable(dataDirectory);
  }

  @Override
  public SyncPolicy syncPolicy() {
    return syncPolicy;
  }

  @Override
  public boolean discoverPlugins() {
    return discoverPlugins;
  }

  @Override
  public Set<String> disabledPlugins() {
    return disabledPlugins;
  }

  @Override
  public List<PhysicsPluginProvider> extraPlugins() {
    return extraPlugins;
  }

  @Override
  public Map<String, String> properties() {
    return properties;
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.shards = shards;
    b.maxValueBytes = maxValueBytes;
    b.dataDirectory = dataDirectory;
    b.syncPolicy = syncPolicy;
    b.discoverPlugins = discoverPlugins;
    b.disabledPlugins.addAll(disabledPlugins);
    b.extraPlugins.addAll(extraPlugins);
    b.properties.putAll(properties);
    return b;
  }

  @Override
  public String toString() {
    return "WarpOptions[shards=" + shards + ", maxValueBytes=" + maxValueBytes
        + ", dataDirectory=" + dataDirectory + ", syncPolicy=" + syncPolicy
        + ", discoverPlugins=" + discoverPlugins + ", disabledPlugins=" + disabledPlugins + ", extraPlugins=" + extraPlugins.size()
        + ", properties=" + properties + "]";
  }

  /** Builds {@link WarpOptions}; not thread-safe. */
  public static final class Builder {
    private int shards = defaultShardCount();
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private Path dataDirectory;
    private SyncPolicy syncPolicy = SyncPolicy.DEFAULT;
    private boolean discoverPlugins = true;
    private final Set<String> disabledPlugins = new LinkedHashSet<>();
    private final List<PhysicsPluginProvider> extraPlugins = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();

    private Builder() {}

    /** The number of shards: a power of two from 1 to {@value WarpOptions#MAX_SHARDS}. */
    public Builder shards(int count) {
      if (count < 1 || count > MAX_SHARDS || Integer.bitCount(count) != 1) {
        throw new IllegalArgumentException(
            "shards must be a power of two from 1 to " + MAX_SHARDS + ", was " + count);
      }
      this.shards = count;
      return this;
    }

    /** The largest value accepted, in bytes: 1 to {@value WarpOptions#MAX_VALUE_BYTES_LIMIT}. */
    public Builder maxValueBytes(int bytes) {
      if (bytes < 1 || bytes > MAX_VALUE_BYTES_LIMIT) {
        throw new IllegalArgumentException(
            "maxValueBytes must be from 1 to " + MAX_VALUE_BYTES_LIMIT + ", was " + bytes);
      }
      this.maxValueBytes = bytes;
      return this;
    }

    /** Keep data in this directory (needs the {@code warp-wal} module to be durable). */
    public Builder dataDirectory(Path directory) {
      this.dataDirectory = Objects.requireNonNull(directory, "dataDirectory");
      return this;
    }

    public Builder syncPolicy(SyncPolicy policy) {
      this.syncPolicy = Objects.requireNonNull(policy, "syncPolicy");
      return this;
    }

    /**
     * Whether to load the plugins found on the path with {@code ServiceLoader} (default true).
     * With false only the plugins given to {@link #addPlugin} load: the bare engine, for
     * example, is {@code discoverPlugins(false)}.
     */
    public Builder discoverPlugins(boolean discover) {
      this.discoverPlugins = discover;
      return this;
    }

    /** Do not load the plugin with this name, whether discovered or added. */
    public Builder disablePlugin(String name) {
      requireText(name, "plugin name");
      disabledPlugins.add(name);
      return this;
    }

    /** Load this plugin as well as the discovered ones (for class-path users and tests). */
    public Builder addPlugin(PhysicsPluginProvider provider) {
      extraPlugins.add(Objects.requireNonNull(provider, "plugin provider"));
      return this;
    }

    /** A setting for a plugin, named {@code pluginName.setting}. */
    public Builder property(String key, String value) {
      requireText(key, "property key");
      properties.put(key, Objects.requireNonNull(value, () -> "value of property " + key));
      return this;
    }

    public WarpOptions build() {
      return new WarpOptions(this);
    }

    private static void requireText(String s, String what) {
      if (s == null || s.isBlank()) {
        throw new IllegalArgumentException(what + " must not be null or blank");
      }
    }
  }
}
