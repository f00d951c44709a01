package io.warpengine.api;

/**
 * How the caller expects a key to be read after this write. A hint for plugins (residency,
 * prefetch); the core engine does not act on it.
 */
public enum AccessPattern {
  /** Nothing is known; the default. */
  UNSPECIFIED,
  /** Read often, soon. */
  HOT,
  /** Read now and then. */
  WARM,
  /** Rarely read again (archives, audit records). */
  COLD,
  /** Read in key order with its neighbours (scans). */
  SEQUENTIAL
}
