package io.warpengine.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.testkit.LinearizabilityChecker.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker must accept what is linearizable and, above all, reject what is not. */
class LinearizabilityCheckerTest {

  private static Operation<RegisterModel> op(RegisterModel m, long call, long ret) {
    return new Operation<>(m, call, ret);
  }

  private static boolean check(List<Operation<RegisterModel>> history) {
    return LinearizabilityChecker.isLinearizable(history, RegisterModel.ABSENT, RegisterModel.MODEL);
  }

  @Test
  void sequentialHistoryMatchingTheModelPasses() {
    assertTrue(check(List.of(
        op(new RegisterModel.Put(1), 0, 1),
        op(new RegisterModel.Get(1), 2, 3),
        op(new RegisterModel.Replace(1, 2, true), 4, 5),
        op(new RegisterModel.PutIfAbsent(3, 2), 6, 7),
        op(new RegisterModel.Delete(true), 8, 9),
        op(new RegisterModel.Contains(false), 10, 11))));
  }

  @Test
  void staleReadAfterACompletedWriteFails() {
    assertFalse(check(List.of(
        op(new RegisterModel.Put(1), 0, 1),
        op(new RegisterModel.Put(2), 2, 3),
        op(new RegisterModel.Get(1), 4, 5))));
  }

  @Test
  void readOfAValueNeverWrittenFails() {
    assertFalse(check(List.of(
        op(new RegisterModel.Put(1), 0, 10),
        op(new RegisterModel.Get(7), 2, 5))));
  }

  @Test
  void concurrentReadMaySeeEitherSideOfAWrite() {
    assertTrue(check(List.of(
        op(new RegisterModel.Put(1), 0, 1),
        op(new RegisterModel.Put(2), 2, 10),
        op(new RegisterModel.Get(1), 3, 4),
        op(new RegisterModel.Get(2), 5, 6))));
  }

  @Test
  void readsThatGoBackInTimeFail() {
    // Once a read has returned 2, a later read cannot return the older 1.
    assertFalse(check(List.of(
        op(new RegisterModel.Put(1), 0, 1),
        op(new RegisterModel.Put(2), 2, 10),
        op(new RegisterModel.Get(2), 3, 4),
        op(new RegisterModel.Get(1), 5, 6))));
  }

  @Test
  void twoSuccessfulPutIfAbsentOnAnEmptyKeyFail() {
    assertFalse(check(List.of(
        op(new RegisterModel.PutIfAbsent(1, RegisterModel.ABSENT), 0, 5),
        op(new RegisterModel.PutIfAbsent(2, RegisterModel.ABSENT), 1, 6))));
  }

  @Test
  void twoSuccessfulReplacesOfTheSameValueFail() {
    assertFalse(check(List.of(
        op(new RegisterModel.Put(1), 0, 1),
        op(new RegisterModel.Replace(1, 2, true), 2, 8),
        op(new RegisterModel.Replace(1, 3, true), 3, 9))));
  }
}
