; The problem of domain.pddl: bring every item to the kitchen and clean the
; study or the hall. The goal's disjunction is compiled into hidden actions.
(define (problem tidy)
  (:domain toolbox)
  (:objects kitchen study - room b1 - box key1 - tool r1 - robot)
  (:init (at r1 hall) (connected hall kitchen) (connected hall study)
         (locked study) (key-for key1 study) (in key1 kitchen) (in b1 study)
         (lit hall)
         (= (distance hall kitchen) 2) (= (distance kitchen hall) 2)
         (= (distance hall study) 5) (= (distance study hall) 5)
         (= (total-cost) 0))
  (:goal (and (forall (?i - item) (in ?i kitchen))
              (or (clean study) (clean hall))))
  (:metric minimize (total-cost)))
