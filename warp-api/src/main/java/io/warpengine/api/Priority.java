package io.warpengine.api;

/**
 * How much a write matters, as the caller sees it. A hint: plugins may weigh it (the event
 * horizon keeps {@code CRITICAL} values resident, gravity weighs mass by it); the core engine
 * stores every write the same way whatever its priority.
 */
public enum Priority {
  CRITICAL,
  HIGH,
  NORMAL,
  LOW,
  BACKGROUND
}
