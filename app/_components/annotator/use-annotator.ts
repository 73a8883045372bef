"use client";

import { useCallback, useLayoutEffect, useRef, useState } from "react";
import {
  initialState,
  step,
  type AnnotatorAction,
  type AnnotatorEffect,
  type AnnotatorState,
  type StepContext,
} from "./annotator-state";
import type { AnnotatorProps } from "./types";

/**
 * The annotator's state, stepped synchronously in event handlers (so two quick keys see each other's
 * edits) and its effects carried out through the props' callbacks.
 */
export function useAnnotator(props: AnnotatorProps, onFocusValue: (text: string | undefined) => void) {
  const [state, setState] = useState<AnnotatorState>(initialState);
  const stateRef = useRef(state);
  const propsRef = useRef(props);
  const focusRef = useRef(onFocusValue);
  useLayoutEffect(() => {
    propsRef.current = props;
    focusRef.current = onFocusValue;
  });

  const dispatch = useCallback((action: AnnotatorAction) => {
    const p = propsRef.current;
    const context: StepContext = {
      taskType: p.taskType,
      labels: p.labels,
      images: p.images,
      index: p.index,
      readOnly: p.readOnly === true,
    };
    const { state: next, effects } = step(stateRef.current, action, context);
    if (next !== stateRef.current) {
      stateRef.current = next;
      setState(next);
    }
    for (const effect of effects) run(effect, p, focusRef.current);
  }, []);

  // New images, another index or a changed annotation from the server: take them in before painting.
  useLayoutEffect(() => {
    dispatch({ type: "sync" });
  }, [dispatch, props.images, props.index]);

  return { state, stateRef, dispatch };
}

function run(effect: AnnotatorEffect, props: AnnotatorProps, focusValue: (text: string | undefined) => void): void {
  switch (effect.type) {
    case "change":
      props.onChange(effect.imageId, effect.annotation);
      return;
    case "navigate":
      props.onIndexChange(effect.index);
      return;
    case "confirm":
      props.onConfirm?.(effect.imageId);
      return;
    case "accept":
      if (props.onAcceptProposal) props.onAcceptProposal(effect.imageId);
      else props.onChange(effect.imageId, effect.annotation);
      return;
    case "reject":
      if (props.onRejectProposal) props.onRejectProposal(effect.imageId);
      else props.onChange(effect.imageId, null);
      return;
    case "focusValue":
      focusValue(effect.text);
      return;
  }
}
