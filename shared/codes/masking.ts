/** Masks for personal data in responses (DESIGN §4): keep the ends a person recognises, hide the rest. */
export function maskMiddle(value: string, keepStart: number, keepEnd: number): string {
  if (value.length <= keepStart + keepEnd) return '*'.repeat(value.length);
  return value.slice(0, keepStart) + '*'.repeat(value.length - keepStart - keepEnd) + value.slice(value.length - keepEnd);
}

/** 330106199003071236 → 3301**********1236 */
export const maskIdNumber = (id: string) => maskMiddle(id, 4, 4);
/** 13812345678 → 138****5678 */
export const maskPhone = (phone: string) => maskMiddle(phone, 3, 4);
/** 张测试 → 张** */
export const maskName = (name: string) => maskMiddle(name, 1, 0);
