/**
 * The annotator alone on a page, for the component checks and the frame benchmark: the images come from
 * `/fixture.json` (see fixture.ts), and the parent keeps their annotations the way a page would, logging
 * every callback in `window.__annotator` for the checks to read.
 */
import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { Annotator } from "../../app/_components/annotator/annotator";
import type { AnnotatorImage, AnnotatorProps, TrainingAnnotation } from "../../app/_components/annotator/types";
import type { Fixture } from "./fixture";

interface Log {
  changes: { imageId: string; annotation: TrainingAnnotation | null }[];
  confirms: string[];
  accepted: string[];
  rejected: string[];
  images: () => AnnotatorImage[];
  index: () => number;
}

declare global {
  interface Window {
    __annotator: Log;
  }
}

function Harness({ fixture }: { fixture: Fixture }) {
  const [images, setImages] = useState(fixture.images);
  const [index, setIndex] = useState(0);
  const log = window.__annotator;
  log.images = () => images;
  log.index = () => index;
  const update = (id: string, patch: Partial<AnnotatorImage>) =>
    setImages((list) => list.map((image) => (image.id === id ? { ...image, ...patch } : image)));
  const props: AnnotatorProps = {
    taskType: fixture.taskType,
    labels: fixture.labels,
    images,
    index,
    onIndexChange: setIndex,
    onChange: (imageId, annotation) => {
      log.changes.push({ imageId, annotation });
      update(imageId, { annotation, proposed: false, status: annotation === null ? "unlabelled" : "labelled" });
    },
    onConfirm: (imageId) => log.confirms.push(imageId),
    onAcceptProposal: (imageId) => {
      log.accepted.push(imageId);
      update(imageId, { proposed: false });
    },
    onRejectProposal: (imageId) => {
      log.rejected.push(imageId);
      update(imageId, { annotation: null, proposed: false, status: "unlabelled" });
    },
  };
  return (
    <main className="p-4">
      <h1 className="mb-3 text-lg font-semibold">{fixture.title}</h1>
      <Annotator {...props} />
    </main>
  );
}

async function main() {
  window.__annotator = { changes: [], confirms: [], accepted: [], rejected: [], images: () => [], index: () => 0 };
  const response = await fetch(`/fixture.json${location.search}`);
  if (!response.ok) throw new Error(`fixture.json: ${response.status} ${await response.text()}`);
  const fixture = (await response.json()) as Fixture;
  createRoot(document.getElementById("root") as HTMLElement).render(
    <StrictMode>
      <Harness fixture={fixture} />
    </StrictMode>,
  );
}

void main();
