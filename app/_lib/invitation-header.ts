/**
 * The request header of a sign-up that comes with an invitation: the token of the invitation link. After
 * setup the server creates accounts only with a valid one, unless the instance operator opened sign-up.
 */
export const INVITATION_HEADER = "x-vizflow-invitation";
