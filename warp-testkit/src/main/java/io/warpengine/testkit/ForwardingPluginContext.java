package io.warpengine.testkit;

import io.warpengine.spi.KeyMover;
import io.warpengine.spi.PluginConfig;
import io.warpengine.spi.PluginContext;
import io.warpengine.spi.ShardView;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * A {@link PluginContext} that passes every call to the engine's: a test wraps the context its
 * plugin is created with and overrides what it changes (a scheduler it drives, a save that
 * fails), leaving the rest as the engine gives it.
 */
public class ForwardingPluginContext implements PluginContext {

  private final PluginContext engine;

  public ForwardingPluginContext(PluginContext engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  @Override
  public String pluginName() {
    return engine.pluginName();
  }

  @Override
  public ShardView shards() {
    return engine.shards();
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return engine.scheduler();
  }

  @Override
  public PluginConfig config() {
    return engine.config();
  }

  @Override
  public <T> Optional<T> capability(Class<T> type) {
    return engine.capability(type);
  }

  @Override
  public Optional<byte[]> recoveredMetadata() {
    return engine.recoveredMetadata();
  }

  @Override
  public boolean saveMetadata(byte[] payload) {
    return engine.saveMetadata(payload);
  }

  @Override
  public boolean deleteIf(String key, BooleanSupplier condition) {
    return engine.deleteIf(key, condition);
  }

  @Override
  public Optional<KeyMover> keyMover() {
    return engine.keyMover();
  }
}
