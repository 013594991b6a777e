/** The region whose guides the portal shows; chosen by the visitor, else the signed-in user's own. */
import { currentUser } from '../../session.js';

export interface RegionOption {
  code: string;
  name: string;
}

/** regions the portal offers in its switch (the demo regions of the platform and the whole country) */
export const REGION_OPTIONS: readonly RegionOption[] = [
  { code: 'national', name: '全国' },
  { code: '330000', name: '浙江省' },
  { code: '330100', name: '浙江省杭州市' },
  { code: '330106', name: '杭州市西湖区' },
  { code: '440305', name: '深圳市南山区' },
];

const STORAGE_KEY = 'portal.region';

export function regionName(code: string | undefined): string {
  return REGION_OPTIONS.find((option) => option.code === code)?.name ?? code ?? '全国';
}

/** the `region` query parameter of the API: absent for the whole country */
export function regionParam(code: string): string | undefined {
  return code === 'national' ? undefined : code;
}

/** the region the visitor chose on this device, if any */
export function storedRegion(): string | undefined {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && /^(national|\d{6})$/.test(stored)) return stored;
  } catch {
    // storage may be off (private mode): no choice kept
  }
  return undefined;
}

export function chosenRegion(): string {
  return storedRegion() ?? currentUser()?.region ?? 'national';
}

export function chooseRegion(code: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // the choice then lasts only for the current page
  }
}
