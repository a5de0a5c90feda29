const {runScan}=require('./out/server/src/cli/scan');
const jobs=+process.argv[2]||1;
const marks={};const t0=performance.now();
const cpu0=process.cpuUsage();
runScan({paths:['/work/shared/corpus'],cwd:'/work/shared',jobs,onProgress:(phase,done,total)=>{ if(!marks[phase]) marks[phase]={first:performance.now()-t0}; marks[phase].last=performance.now()-t0;}});
const cpu=process.cpuUsage(cpu0);
console.log('jobs',jobs,'wall',(performance.now()-t0).toFixed(0),'cpu',((cpu.user+cpu.system)/1000).toFixed(0),JSON.stringify(marks,(k,v)=>typeof v==='number'?Math.round(v):v));
