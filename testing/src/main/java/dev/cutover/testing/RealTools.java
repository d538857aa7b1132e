package dev.cutover.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class or method that runs real programs a machine must have installed (rsync,
 * OpenSSH's tools, crontab, PostgreSQL, BIND, nginx, openssl, Chromium, the temporal CLI): it
 * belongs to the integration tier, which failsafe runs, and not to the fast tier, which surefire
 * runs on any machine with a JDK. Such a test checks for its tools with {@link RequiredTool}, so a
 * missing one fails it with what to install instead of skipping it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(RealTools.TAG)
public @interface RealTools {
  /** The JUnit tag the parent pom's surefire excludes and failsafe selects. */
  String TAG = "integration";
}
