package io.warpengine.example.halflife.internal;

import io.warpengine.spi.PluginContext;
import io.warpengine.testkit.ForwardingPluginContext;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The engine's context, with an action run just before each {@link #deleteIf}: a test's way to
 * put a write exactly between a sweep's look at a key and its delete.
 */
final class InterposedContext extends ForwardingPluginContext {

  private final Consumer<String> beforeDelete;

  InterposedContext(PluginContext engine, Consumer<String> beforeDelete) {
    super(engine);
    this.beforeDelete = beforeDelete;
  }

  @Override
  public boolean deleteIf(String key, BooleanSupplier condition) {
    beforeDelete.accept(key);
    return super.deleteIf(key, condition);
  }
}
