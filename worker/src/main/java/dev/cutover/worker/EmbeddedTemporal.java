package dev.cutover.worker;

import dev.cutover.workflow.CutoverSearchAttributes;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Temporal's in-memory server on a loopback port, for {@code cutover dev} and {@code cutover demo}.
 * The stock {@code TestServer.createPortBoundServer} listens on every interface; a migration tool
 * must not open an unauthenticated Temporal endpoint to the network, so this binds 127.0.0.1 only.
 * It keeps nothing on disk: a restart forgets every run.
 */
public final class EmbeddedTemporal implements Closeable {
  private final TestServicesStarter services;
  private final Server server;

  private EmbeddedTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  /** Starts the server on 127.0.0.1:port (0 picks a free port) with cutover's search attributes. */
  public static EmbeddedTemporal start(int port) throws IOException {
    // lockTimeSkipping=true: the embedded server keeps real time, like a real server.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    for (BindableService service : services.getServices()) {
      builder.addService(service);
    }
    // Temporal clients check the WorkflowService's health before their first call.
    HealthStatusManager health = new HealthStatusManager();
    for (BindableService service : services.getServices()) {
      health.setStatus(
          service.bindService().getServiceDescriptor().getName(),
          HealthCheckResponse.ServingStatus.SERVING);
    }
    builder.addService(health.getHealthService());
    Server server = builder.build().start();
    EmbeddedTemporal embedded = new EmbeddedTemporal(services, server);
    embedded.registerSearchAttributes();
    return embedded;
  }

  public int port() {
    return server.getPort();
  }

  public String target() {
    return "127.0.0.1:" + port();
  }

  private void registerSearchAttributes() {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(target())
                .validateAndBuildWithDefaults());
    try {
      AddSearchAttributesRequest.Builder request =
          AddSearchAttributesRequest.newBuilder().setNamespace("default");
      CutoverSearchAttributes.ALL.forEach(
          k ->
              request.putSearchAttributes(
                  k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
      operator.blockingStub().addSearchAttributes(request.build());
    } finally {
      operator.shutdownNow();
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
    services.close();
  }
}
