/** Prometheus metrics of one engine process, in a registry of its own (so several handlers can coexist). */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export class EngineMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "vizflow_http_requests_total",
    help: "HTTP requests to the engine API, by route and status code.",
    labelNames: ["route", "status"] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "vizflow_http_request_duration_seconds",
    help: "Time to answer an engine API request, by route.",
    labelNames: ["route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly records = new Counter({
    name: "vizflow_records_processed_total",
    help: "Records processed, by the class of their _status (2xx, 4xx, 5xx).",
    labelNames: ["status_class"] as const,
    registers: [this.registry],
  });
  readonly credits = new Counter({
    name: "vizflow_credits_charged_total",
    help: "Credits charged for processing.",
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: "vizflow_http_requests_in_flight",
    help: "Processing requests being answered now.",
    registers: [this.registry],
  });

  /** `modelSessions`: how many ONNX sessions the runtime holds loaded now. */
  constructor(options: { modelSessions?: () => number; defaultMetrics?: boolean } = {}) {
    const modelSessions = options.modelSessions;
    new Gauge({
      name: "vizflow_model_sessions_loaded",
      help: "ONNX model sessions held in the runtime's cache.",
      registers: [this.registry],
      collect() {
        this.set(modelSessions?.() ?? 0);
      },
    });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: "vizflow_" });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
