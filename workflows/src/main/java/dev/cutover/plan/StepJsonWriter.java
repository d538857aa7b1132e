package dev.cutover.plan;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.NameTransformer;
import java.io.IOException;

/**
 * Writes a {@link Step} flat: the envelope's fields, then the spec's beside them (see {@link
 * StepJsonReader}).
 */
public final class StepJsonWriter extends StdSerializer<Step> {
  public StepJsonWriter() {
    super(Step.class);
  }

  @Override
  public void serialize(Step step, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    gen.writeStartObject(step);
    provider.defaultSerializeField("name", step.name(), gen);
    provider.defaultSerializeField("kind", step.kind(), gen);
    provider.defaultSerializeField("description", step.description(), gen);
    provider.defaultSerializeField("timeout", step.timeout(), gen);
    provider.defaultSerializeField("retry", step.retry(), gen);
    provider.defaultSerializeField("onFailure", step.onFailure(), gen);
    provider.defaultSerializeField("undo", step.undo(), gen);
    provider.defaultSerializeField("pointOfNoReturn", step.pointOfNoReturn(), gen);
    if (step.spec() != null) {
      JsonSerializer<Object> spec =
          provider
              .findValueSerializer(step.spec().getClass())
              .unwrappingSerializer(NameTransformer.NOP);
      spec.serialize(step.spec(), gen, provider);
    }
    gen.writeEndObject();
  }
}
