/** Carried by a PAYMENT_REQUIRED refusal, so the client can show the balance (the API's 402 sends the same). */
export class CreditShortfall extends Error {
  constructor(
    readonly balance: number,
    readonly required: number,
  ) {
    super(`not enough credits: ${required} needed, ${balance} left`);
    this.name = "CreditShortfall";
  }
}
