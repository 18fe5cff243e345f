# SPDX-License-Identifier: GPL-2.0
# Pinned inputs of the watch_queue harness.
BASE_VERSION='7.3.4-1~bpo13+1'
BASE_DEB_SHA256='703e369ddd4cce971452f5a593ee55df3a5c10c83caf0fa0df039633ed181ee3'
BINDGEN_VERSION='0.72.1'
VIRTME_NG_VERSION='1.42'
