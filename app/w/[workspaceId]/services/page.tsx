import type { Metadata } from "next";
import { PageHeader } from "@/_components/shell/page-header";
import { ServicesView } from "@/_components/services/services-view";

export const metadata: Metadata = { title: "Services" };

export default function ServicesPage() {
  return (
    <>
      <PageHeader
        title="Services"
        description="Ready-to-use recognition services that flows can call, and the plugins installed on this server."
      />
      <ServicesView />
    </>
  );
}
