package io.warpengine.testkit;

import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PhysicsPluginProvider;
import io.warpengine.spi.PluginContext;
import io.warpengine.spi.ShardView;

/**
 * A plugin that does nothing but keep the engine's {@link ShardView}, so that a test can look
 * at the shards as a plugin sees them ({@code resident}, {@code peekAll}, {@code prefetch}):
 * {@code WarpOptions.builder().addPlugin(probe)}, then {@code probe.view()}. One engine per
 * probe.
 */
public final class ShardViewProbe implements PhysicsPluginProvider {

  private volatile ShardView view;

  @Override
  public String name() {
    return "view-probe";
  }

  @Override
  public PhysicsPlugin create(PluginContext context) {
    view = context.shards();
    return new PhysicsPlugin() {};
  }

  /** The view of the engine this probe was loaded into. */
  public ShardView view() {
    if (view == null) {
      throw new IllegalStateException("the probe was not added to an open engine");
    }
    return view;
  }
}
