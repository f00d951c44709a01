package io.warpengine.core;

/**
 * The map value of an entry beyond the event horizon: its value is on disk only, at a journal
 * location. Immutable and compared by content, so that a swap from one marker to another
 * ({@code map.replace(key, old, new)}) succeeds exactly when the entry still points where the
 * swapper thinks it does.
 *
 * @param location where the journal reads the value back ({@link io.warpengine.spi.Journal#read})
 * @param length   the value's length in bytes
 */
record Beyond(long location, int length) {}
