/* Which native step function runs each gene kind of the phenotype. */
#include <stddef.h>

#include "cellos/pbin.h"
#include "gene.h"
#include "genes.h"

gene_step_fn
gene_step_for_kind(uint32_t kind)
{
	switch (kind) {
	case GENE_KIND_MITO_ENERGY:
		return mito_energy_step;
	case GENE_KIND_GOLGI_ROUTE:
		return golgi_route_step;
	case GENE_KIND_LYSO_CLEANUP:
		return lyso_cleanup_step;
	case GENE_KIND_PEROXI_SANITIZE:
		return peroxi_sanitize_step;
	case GENE_KIND_TESTGENE:
		return testgene_step;
	default:
		return NULL;
	}
}
