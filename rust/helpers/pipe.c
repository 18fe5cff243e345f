// SPDX-License-Identifier: GPL-2.0

#include <linux/pipe_fs_i.h>

__rust_helper struct pipe_buffer *
rust_helper_pipe_buf(const struct pipe_inode_info *pipe, unsigned int slot)
{
	return pipe_buf(pipe, slot);
}

__rust_helper bool rust_helper_pipe_full(unsigned int head, unsigned int tail,
					 unsigned int limit)
{
	return pipe_full(head, tail, limit);
}

__rust_helper bool rust_helper_pipe_empty(unsigned int head, unsigned int tail)
{
	return pipe_empty(head, tail);
}

/*
 * bindgen cannot see the anonymous "union pipe_index;" member of struct
 * pipe_inode_info (an -fms-extensions construct), so head and tail are
 * reached through these accessors, with the barriers fs/pipe.c expects.
 */
__rust_helper unsigned int
rust_helper_pipe_index_head(const struct pipe_inode_info *pipe)
{
	return pipe->head;
}

__rust_helper unsigned int
rust_helper_pipe_index_tail(const struct pipe_inode_info *pipe)
{
	return pipe->tail;
}

__rust_helper void
rust_helper_pipe_index_publish_head(struct pipe_inode_info *pipe,
				    unsigned int head)
{
	smp_store_release(&pipe->head, head); /* vs anon_pipe_read() */
}
