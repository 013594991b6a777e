/**
 * Awaits a conditional write: true when it was written, false when its condition failed (the
 * expected state was not there); any other error propagates.
 */
export async function writtenIfCondition(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
