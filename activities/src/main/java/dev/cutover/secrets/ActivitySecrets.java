package dev.cutover.secrets;

/**
 * The mask of every secret of the plan the current activity runs for, set by {@link
 * SecretMaskingInterceptor} on the activity's thread for as long as the activity runs. Code on
 * other threads (output readers) gets the mask handed over, see {@code HostShells}.
 */
public final class ActivitySecrets {
  private static final ThreadLocal<SecretMask> CURRENT = new ThreadLocal<>();

  private ActivitySecrets() {}

  /** The plan's secrets for the activity on this thread; {@link SecretMask#NONE} outside one. */
  public static SecretMask current() {
    SecretMask mask = CURRENT.get();
    return mask == null ? SecretMask.NONE : mask;
  }

  /** Masks {@code text} with the current activity's plan secrets. */
  public static String mask(String text) {
    return current().mask(text);
  }

  static void set(SecretMask mask) {
    CURRENT.set(mask);
  }

  static void clear() {
    CURRENT.remove();
  }
}
