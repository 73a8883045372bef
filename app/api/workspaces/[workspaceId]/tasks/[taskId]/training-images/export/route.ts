import { getServices } from "@/_server/services";
import { handleTrainingExport } from "@/_server/training-routes";

export async function GET(
  request: Request,
  context: { params: Promise<{ workspaceId: string; taskId: string }> },
): Promise<Response> {
  return handleTrainingExport(request, await getServices(), await context.params);
}
