import type { Metadata } from "next";
import { PageHeader } from "@/_components/shell/page-header";
import { EmptyState } from "@/_components/ui/empty-state";
import { FlowIcon } from "@/_components/icons";

export const metadata: Metadata = { title: "Flows" };

const STEPS = [
  {
    title: "Draw",
    text: "Start from the input image and chain actions: recognize, detect, branch on a label, crop each object and classify it again, call a service or another flow.",
  },
  {
    title: "Test",
    text: "Drop an image on the canvas and see what every node saw, wrote and which branch it took.",
  },
  {
    title: "Deploy",
    text: "Save an immutable version, deploy it, and call it over HTTP with an API token. Each image is metered in credits.",
  },
];

export default function FlowsPage() {
  return (
    <>
      <PageHeader title="Flows" description="Computer-vision pipelines of this workspace, drawn on a canvas." />
      <EmptyState icon={<FlowIcon width={22} height={22} />} title="This workspace has no flows yet">
        <p>
          A flow takes an image and runs it through the actions you connect. Every record comes back with the fields the
          actions wrote: labels, detected objects with their boxes, numbers.
        </p>
        <p className="mt-2">
          The flow editor is not part of this build yet, so flows cannot be created here today. This page will list
          them, with their versions and which one is deployed.
        </p>
      </EmptyState>
      <ol className="mt-8 grid gap-4 sm:grid-cols-3">
        {STEPS.map((step, index) => (
          <li key={step.title} className="rounded-xl border bg-card p-5">
            <div className="mb-3 flex h-7 w-7 items-center justify-center rounded-full bg-primary/10 text-sm font-semibold text-primary">
              {index + 1}
            </div>
            <h3 className="text-sm font-semibold">{step.title}</h3>
            <p className="mt-1 text-sm text-muted-foreground">{step.text}</p>
          </li>
        ))}
      </ol>
    </>
  );
}
