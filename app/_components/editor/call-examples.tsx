"use client";

import { useState } from "react";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { callSnippets, SNIPPET_LANGUAGES, type CallTarget, type SnippetLanguage } from "./call-snippets";

/** The call to a flow in curl, JavaScript and Python, one tab each, with a copy button. */
export function CallExamples({ target }: { target: CallTarget }) {
  const [language, setLanguage] = useState<SnippetLanguage>("curl");
  const [copied, setCopied] = useState<SnippetLanguage | undefined>();
  const snippets = callSnippets(target);
  const shown = SNIPPET_LANGUAGES.find((l) => l.id === language)?.title ?? language;
  return (
    <div className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-1.5 text-xs">
      <div role="tablist" aria-label="Language of the example" className="flex items-center gap-1">
        {SNIPPET_LANGUAGES.map((l) => (
          <button
            key={l.id}
            type="button"
            role="tab"
            aria-selected={language === l.id}
            onClick={() => setLanguage(l.id)}
            className={cn(
              "rounded-md px-2.5 py-1 font-medium",
              language === l.id ? "bg-primary text-primary-foreground" : "text-muted-foreground hover:bg-accent",
            )}
          >
            {l.title}
          </button>
        ))}
        <Button
          size="sm"
          variant="outline"
          className="ml-auto"
          onClick={() => {
            void navigator.clipboard.writeText(snippets[language]).then(
              () => setCopied(language),
              () => setCopied(undefined),
            );
          }}
        >
          {copied === language ? "Copied" : `Copy ${shown}`}
        </Button>
      </div>
      <pre role="tabpanel" className="max-h-64 overflow-auto rounded bg-muted p-2 font-mono" data-snippet={language}>
        {snippets[language]}
      </pre>
    </div>
  );
}
