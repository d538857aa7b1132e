package dev.cutover.worker.bench;

/** Returns at once. */
public class BenchNoopActivityImpl implements BenchNoopActivity {
  @Override
  public int noop() {
    return 1;
  }
}
