package dev.cutover.steps.pgswitch;

/**
 * A point in the section where a test makes the worker "die" ({@link SwitchSection#CAUGHT_UP},
 * {@link SwitchSection#COMMITTED}); nothing in production.
 */
@FunctionalInterface
interface SwitchSeam {
  SwitchSeam NONE = point -> {};

  void after(String point);
}
