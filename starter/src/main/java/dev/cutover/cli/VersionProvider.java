package dev.cutover.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = CutoverCli.class.getPackage().getImplementationVersion();
    return new String[] {"cutover " + (v == null ? "development build" : v)};
  }
}
