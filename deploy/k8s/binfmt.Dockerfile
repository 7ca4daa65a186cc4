# The image of addons/binfmt-qemu: Debian's QEMU user emulators, for the DaemonSet that registers them with the node's
# kernel (binfmt_misc). Only the emulator of the other platform is kept (qemu-aarch64-static in the amd64 image,
# qemu-x86_64-static in the arm64 one), with Debian's binfmt.d file for it, so the image stays small (~100 MB).
# Build it for the platforms of your nodes and push it where the cluster pulls from:
#   docker buildx build --platform linux/amd64,linux/arm64 -f deploy/k8s/binfmt.Dockerfile \
#     -t <registry>/freshen/binfmt-qemu:<version> --push deploy/k8s
# (one platform: docker build -f deploy/k8s/binfmt.Dockerfile -t <registry>/freshen/binfmt-qemu:<version> deploy/k8s)
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends qemu-user-static \
 && rm -rf /var/lib/apt/lists/* \
 && case "$(uname -m)" in x86_64) keep=aarch64 ;; aarch64) keep=x86_64 ;; *) keep=none ;; esac \
 && find /usr/bin -name 'qemu-*-static' ! -name "qemu-$keep-static" -delete \
 && find /usr/lib/binfmt.d -name 'qemu-*.conf' ! -name "qemu-$keep.conf" -delete \
 && rm -rf /usr/libexec/qemu-binfmt /usr/share/doc /usr/share/man
USER 65534
