import type { ILabelSelector } from '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector';

export type Labels = Readonly<Record<string, string>>;

/** A Service-style selector: every pair present in the labels. An empty one selects nothing here. */
export function mapSelects(selector: Labels | undefined, labels: Labels | undefined): boolean {
  const pairs = Object.entries(selector ?? {});
  return pairs.length > 0 && pairs.every(([key, value]) => labels?.[key] === value);
}

export function isEmptySelector(selector: ILabelSelector | undefined): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
}

/** A LabelSelector as the API server evaluates it; an empty one selects every pod. */
export function labelSelectorSelects(selector: ILabelSelector | undefined, labels: Labels | undefined): boolean {
  const all = labels ?? {};
  const pairsMatch = Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => all[key] === value);
  const expressionsMatch = (selector?.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in all && values.includes(all[key]);
      case 'NotIn':
        return !(key in all) || !values.includes(all[key]);
      case 'Exists':
        return key in all;
      case 'DoesNotExist':
        return !(key in all);
      default:
        return false;
    }
  });
  return pairsMatch && expressionsMatch;
}
