/** The tag of an image reference (`registry:5000/repo:tag@digest` → `tag`), if it has one. */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

/** Why an image is not pinned to a version: untagged images are `latest` too. */
export function unpinnedImageReason(image: string): string | undefined {
  const tag = imageTag(image);
  if (tag === undefined) return `image ${image} has no tag (that is :latest)`;
  if (tag === 'latest') return `image ${image} uses the :latest tag`;
  return undefined;
}
