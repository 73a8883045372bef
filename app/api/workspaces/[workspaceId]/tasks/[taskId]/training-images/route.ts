import { getServices } from "@/_server/services";
import { handleTrainingImport } from "@/_server/training-routes";

export async function POST(
  request: Request,
  context: { params: Promise<{ workspaceId: string; taskId: string }> },
): Promise<Response> {
  return handleTrainingImport(request, await getServices(), await context.params);
}
