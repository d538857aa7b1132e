package dev.cutover.steps.rsync;

import dev.cutover.plan.Doc;
import dev.cutover.plan.Host;
import dev.cutover.plan.HostPairSpec;
import dev.cutover.plan.SpecCheck;
import java.util.List;

/** The fields of an {@code rsync} step: copy a tree between two hosts. */
public record RsyncSpec(
    @Doc("Run rsync through `sudo -n` (default: the host's sudo).") Boolean sudo,
    @Doc("The host to copy from (from hosts).") String from,
    @Doc("The host to copy to (from hosts).") String to,
    @Doc("The directory to copy, on the from host; its contents are copied.") String source,
    @Doc("The directory to copy into, on the to host.") String target,
    @Doc("Patterns to leave out, relative to source (rsync --exclude).") List<String> excludes,
    @Doc("Delete files on the target that are not in the source (default false).") Boolean delete,
    @Doc("Keep partly sent files so a retry resumes them (default true).") Boolean partial,
    @Doc("Transfer rate limit in KiB per second.") Integer bwlimit,
    @Doc(
            "Run rsync on the to host, pulling from the from host (default: run on the from host and push).")
        Boolean pull,
    @Doc(
            "Private key file on the host that runs rsync, for its connection to the other host (default: that user's own ssh keys).")
        String identity)
    implements HostPairSpec {
  public RsyncSpec {
    excludes = excludes == null ? List.of() : List.copyOf(excludes);
  }

  public boolean deleteOrDefault() {
    return Boolean.TRUE.equals(delete);
  }

  public boolean partialOrDefault() {
    return !Boolean.FALSE.equals(partial);
  }

  public boolean pullOrDefault() {
    return Boolean.TRUE.equals(pull);
  }

  @Override
  public void validate(SpecCheck check) {
    check.hostRef("from", from);
    check.hostRef("to", to);
    check.require("from", from, "the host to copy from");
    check.require("to", to, "the host to copy to");
    check.require("source", source, "the directory to copy");
    check.require("target", target, "the directory to copy into");
    check.absolute("source", source);
    check.absolute("target", target);
    check.absolute("identity", identity);
    if (bwlimit != null && bwlimit < 1) {
      check.report("bwlimit", "bwlimit is in KiB per second and must be at least 1");
    }
    if ("/".equals(target) && deleteOrDefault()) {
      check.report(
          "delete",
          "delete into / would remove everything not in the source; copy into a directory");
    }
    Host fromHost = from == null ? null : check.plan().hosts().get(from);
    Host toHost = to == null ? null : check.plan().hosts().get(to);
    if (identity != null
        && fromHost != null
        && toHost != null
        && !fromHost.usesSsh()
        && !toHost.usesSsh()) {
      check.report(
          "identity", "both hosts are local: rsync copies without ssh, so there is no key to name");
    }
  }
}
