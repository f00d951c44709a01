package io.warpengine.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.testkit.LinearizabilityChecker.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An evicting engine may lose a value, but never bring an old one back. */
class EvictableModelTest {

  private static boolean check(List<Operation<RegisterModel>> history) {
    return LinearizabilityChecker.isLinearizable(history, RegisterModel.ABSENT, RegisterModel.EVICTABLE);
  }

  @Test
  void aValueMayVanish() {
    assertTrue(check(List.of(
        new Operation<>(new RegisterModel.Put(1), 0, 1),
        new Operation<>(new RegisterModel.Get(RegisterModel.ABSENT), 2, 3),
        new Operation<>(new RegisterModel.PutIfAbsent(2, RegisterModel.ABSENT), 4, 5),
        new Operation<>(new RegisterModel.Get(2), 6, 7))));
  }

  @Test
  void aVanishedValueNeverComesBack() {
    assertFalse(check(List.of(
        new Operation<>(new RegisterModel.Put(1), 0, 1),
        new Operation<>(new RegisterModel.Get(RegisterModel.ABSENT), 2, 3),
        new Operation<>(new RegisterModel.Get(1), 4, 5))));
  }

  @Test
  void aStaleValueIsStillCaught() {
    assertFalse(check(List.of(
        new Operation<>(new RegisterModel.Put(1), 0, 1),
        new Operation<>(new RegisterModel.Put(2), 2, 3),
        new Operation<>(new RegisterModel.Get(1), 4, 5))));
  }

  @Test
  void aDeletedValueIsStillCaught() {
    assertFalse(check(List.of(
        new Operation<>(new RegisterModel.Put(1), 0, 1),
        new Operation<>(new RegisterModel.Delete(true), 2, 3),
        new Operation<>(new RegisterModel.Get(1), 4, 5))));
  }
}
