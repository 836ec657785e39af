// s3rver in its own process, for tests that stop storage for real: argv[2] = {"port","directory","bucket"}; prints
// "READY <port>". s3rver throws from a file stream when an object is removed while another request reads it (a
// race its in-process use turns into an uncaught error of the test runner): here it is reported and the request
// fails, as a real storage error would.
import S3rver from 's3rver';

const { port, directory, bucket } = JSON.parse(process.argv[2] ?? '{}');
process.on('uncaughtException', (error) => process.stderr.write(`s3rver: ${error.message}\n`));
const server = new S3rver({
  port,
  address: '127.0.0.1',
  directory,
  silent: true,
  configureBuckets: [{ name: bucket }],
});
const address = await server.run();
process.stdout.write(`READY ${address.port}\n`);
