# The platform-images folder as an image, for the `platform-images` init container of the Freshen pods: it copies
# /platform-images into the pod (an emptyDir mounted read-only at FRESHEN_PLATFORM_IMAGES_DIR). Any small image
# with `sh` and `cp` will do as the base. Build it from the folder that holds your platform images, and tag it
# with that folder's commit so that every pod of a rollout reads the same descriptors:
#   docker build -f deploy/k8s/platform-images.Dockerfile \
#     -t <registry>/freshen/platform-images:$(git rev-parse --short HEAD) platform-images/
FROM busybox:1.37
COPY . /platform-images
