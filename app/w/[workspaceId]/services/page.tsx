import type { Metadata } from "next";
import { PageHeader } from "@/_components/shell/page-header";
import { EmptyState } from "@/_components/ui/empty-state";
import { ServiceIcon } from "@/_components/icons";

export const metadata: Metadata = { title: "Services" };

export default function ServicesPage() {
  return (
    <>
      <PageHeader title="Services" description="Ready-to-use recognition services that flows can call." />
      <EmptyState icon={<ServiceIcon width={22} height={22} />} title="No services available yet">
        <p>
          Services come from plugins: each one is an action with its own settings and credit price that you drop into a
          flow without training a model. This page will list the services the installed plugins provide.
        </p>
        <p className="mt-2">No plugin with services is installed in this build yet.</p>
      </EmptyState>
    </>
  );
}
