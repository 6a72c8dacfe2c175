// Crops the chosen avatar to a centred square in the browser before upload, so the server only
// has to resize. Without JavaScript (or for formats the canvas cannot read) the original file is
// sent and the server fits it into a square box instead.
pokynanoPage.init(() => {
for (const form of document.querySelectorAll("form[data-avatar-crop]")) {
  const input = form.querySelector('input[type="file"]');
  if (!input) continue;
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file || !file.type.startsWith("image/")) return;
    try {
      const bitmap = await createImageBitmap(file);
      const side = Math.min(bitmap.width, bitmap.height);
      if (bitmap.width === bitmap.height) return;
      const target = Math.min(side, 512);
      const canvas = document.createElement("canvas");
      canvas.width = target;
      canvas.height = target;
      const sx = (bitmap.width - side) / 2;
      const sy = (bitmap.height - side) / 2;
      canvas.getContext("2d").drawImage(bitmap, sx, sy, side, side, 0, 0, target, target);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
      if (!blob) return;
      const cropped = new DataTransfer();
      cropped.items.add(new File([blob], "avatar.png", { type: "image/png" }));
      input.files = cropped.files;
    } catch {
      // keep the original file; the server still fits it
    }
  });
}
});
